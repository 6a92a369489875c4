// The vi/en text types are part of every service's vocabulary (errors, steps, content).
@_exported import Bilingual
