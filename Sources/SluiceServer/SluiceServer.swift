// SluiceServer module; see docs/ARCHITECTURE.md
