// SluiceApp module; see docs/ARCHITECTURE.md
