"""Building the package says nothing alarming: no deprecated metadata in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.install.readme_install import snapshot


def test_the_build_backend_warns_of_nothing(tmp_path: Path) -> None:
    """The first install once printed setuptools' license deprecation warning three times."""
    source = snapshot(tmp_path / "source")  # a copy: building leaves build/ behind
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(wheels), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = built.stdout + built.stderr
    assert built.returncode == 0, output[-3000:]
    assert "BuildBackendWarning" not in output, output[-3000:]
    assert "deprecated" not in output.lower(), output[-3000:]
    assert [path.name for path in wheels.iterdir()] == ["practice_inbox-0.1.0-py3-none-any.whl"]
