// SluiceTesting module; see docs/ARCHITECTURE.md
