// SegmentModel module; see docs/ARCHITECTURE.md
