// ArchiveFormat module; see docs/ARCHITECTURE.md
