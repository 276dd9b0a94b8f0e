"""Where inputs are read and outputs written.

Inputs (data/public, notebooks) live in the repository. Outputs (data/processed,
figures, site) are written under an output root, which the build points at a staging
directory so that a failed build never touches the published outputs.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Paths:
    root: Path  # repository (inputs)
    out: Path  # output root (data/processed, figures, site)
    published: Path | None = None  # during a build: the output root being replaced (for changes.csv)

    @property
    def public(self) -> Path:
        return self.root / "data" / "public"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def processed(self) -> Path:
        return self.out / "data" / "processed"

    @property
    def figures(self) -> Path:
        return self.out / "figures"

    @property
    def site(self) -> Path:
        return self.out / "site"

    @property
    def shared_sources(self) -> Path:
        """Publishers' PDFs (not committed): ../shared/sources beside the clone."""
        env = os.environ.get("ANALYSIS_SOURCES_DIR")
        return Path(env) if env else self.root.parent / "shared" / "sources"

    def rel(self, path: Path) -> str:
        """Path as shown in messages: relative to the repository when inside it."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()
        except (OSError, RuntimeError):  # a symlink loop cannot be resolved: name it as given
            try:
                return Path(os.path.abspath(path)).relative_to(os.path.abspath(self.root)).as_posix()
            except ValueError:
                return path.as_posix()


def default_paths() -> Paths:
    """Repository paths; ANALYSIS_ROOT / ANALYSIS_OUT override them (tests, staging)."""
    root = Path(os.environ.get("ANALYSIS_ROOT", REPO_ROOT))
    out = Path(os.environ.get("ANALYSIS_OUT", root))
    return Paths(root=root, out=out)
