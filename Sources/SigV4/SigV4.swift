// SigV4 module; see docs/ARCHITECTURE.md
