// Spool module; see docs/ARCHITECTURE.md
