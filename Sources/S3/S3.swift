// S3 module; see docs/ARCHITECTURE.md
