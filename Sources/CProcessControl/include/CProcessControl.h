#ifndef MATHFARM_CPROCESSCONTROL_H
#define MATHFARM_CPROCESSCONTROL_H

/// Asks Linux to send `signal` to this process when its parent dies (prctl PR_SET_PDEATHSIG,
/// which Swift cannot call directly because prctl is variadic). Returns 0 on success, -1 elsewhere.
int mathfarm_set_parent_death_signal(int signal);

#endif
