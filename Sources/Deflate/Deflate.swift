// Deflate module; see docs/ARCHITECTURE.md
