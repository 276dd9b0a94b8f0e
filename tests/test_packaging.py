"""Packaging and documentation promises: dependency lists agree, README paths exist."""
import re
import tomllib

import yaml

from analysis.paths import REPO_ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    pip_names = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    conda_names = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda_names == pip_names, f"only in environment.yml: {conda_names - pip_names}; only in pyproject: {pip_names - conda_names}"


def test_fixed_runtime_dependencies_are_declared():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    names = {_name(r) for r in project["dependencies"]}
    assert {"pandas", "matplotlib", "jupyterlab", "pyarrow", "scipy"} <= names


def test_lock_pins_every_declared_dependency():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    locked = {_name(line) for line in (REPO_ROOT / "requirements.lock").read_text().splitlines() if "==" in line}
    missing = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]} - locked
    assert not missing, f"requirements.lock lacks {missing}; run `make lock`"


def test_readme_gives_the_two_commands_and_ci_calls_the_test_one():
    readme = (REPO_ROOT / "README.md").read_text()
    assert "make all" in readme and "make test" in readme
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)


def test_every_repository_path_the_readme_names_exists():
    readme = (REPO_ROOT / "README.md").read_text()
    named = set(re.findall(r"`((?:data|src|notebooks|tests|figures|\.ci)/[^`*<>\s]*)`", readme))
    assert named, "README names no paths"
    missing = sorted(p for p in named if not (REPO_ROOT / p.rstrip("/")).exists())
    assert not missing, f"README names paths that do not exist: {missing}"


def test_makefile_maps_pytest_exit_code_5_to_failure():
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert "-eq 5" in makefile


def test_the_readme_python_example_runs_and_returns_what_it_says(built):
    """The first example a researcher copies (issue 24: it returned 508 rows)."""
    import re

    import analysis

    readme = (REPO_ROOT / "README.md").read_text()
    block = re.search(r"From Python:\n\n```python\n(.*?)```", readme, re.S).group(1)
    paths, _ = built
    namespace = {"analysis": analysis}
    code = block.replace("analysis.load_observations()", "analysis.load_observations(paths)")
    exec(compile(code, "README.md", "exec"), {**namespace, "paths": paths}, namespace)
    world = namespace["world"]
    assert len(world) == 3 and set(world["value"]) == {36_210_368, 36_200_000}
    assert analysis.observations.preferred(world)["value"].tolist() == [36_210_368]
