"""Benchmarks of the assistant: `python -m benchmarks` measures and writes docs/benchmarks.md and its plots.

Module map:
- `baselines`: the comparison pipelines (LangChain tutorial RAG; our answerer over one retrieval mode).
- `quality`: answer and retrieval metrics on the development sets (dev, dev2), through `assistant.evaluate`;
  the focus threshold's calibration.
- `speed`: answer latency, ingest against pure embedding, syncs, process start to first answer.
- `synthetic`: a seeded synthetic corpus and a cheap deterministic embedder for the scale runs.
- `scale`: ingest, query latency and memory at 1k-100k chunks, embedded and against a Chroma server.
- `processes`: a child process watched from outside (wall time, peak RSS, ru_maxrss).
- `machine`: what the figures were measured on.
- `targets`: the issue's targets checked against the results (PASS / FAIL / not measured).
- `report`, `quality_section`, `sections`, `markdown`: docs/benchmarks.md from the results alone; `plots`:
  its PNG charts.

Benchmarks measure; tests never assert timings. Caches live in benchmarks/.cache (git-ignored).
"""

from __future__ import annotations

from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
CACHE = PROJECT / "benchmarks" / ".cache"
