#include <gmp.h>
// MPFR shares GMP's integer types, so both live in one module (two modules would each import
// their own copy of __mpz_struct).
#include <mpfr.h>
