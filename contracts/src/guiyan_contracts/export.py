"""`make contracts`: writes the JSON Schema of every event, request and API body to contracts/schemas/."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from . import api, matching, matching_v1, models, notification, people, registry, system
from .envelope import Event, Request


def contract_models() -> dict[str, type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    for module in (models, registry, people, matching, matching_v1, notification, system, api):
        # A private base is no contract of its own, nor is a parametrised generic that pydantic
        # files in its module under a name such as `Page[Proposal]`: it is its subclass's base.
        for name, value in vars(module).items():
            if (not name.startswith("_") and name.isidentifier() and isinstance(value, type)
                    and issubclass(value, BaseModel)
                    and value.__module__ == module.__name__):
                found[f"{module.__name__.rsplit('.', 1)[-1]}.{name}"] = value
    return found


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    index = {}
    for name, model in sorted(contract_models().items()):
        schema = model.model_json_schema()
        subject = getattr(model, "SUBJECT", None)
        if isinstance(subject, str):
            schema["x-subject"] = subject
            index[name] = {"subject": subject,
                           "kind": "event" if issubclass(model, Event) else
                           "request" if issubclass(model, Request) else "model"}
        path = directory / f"{name}.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
        written.append(path)
    (directory / "subjects.json").write_text(json.dumps(index, ensure_ascii=False, indent=2) + "\n")
    for stale in set(directory.glob("*.json")) - {*written, directory / "subjects.json"}:
        stale.unlink()  # a model removed or renamed
    return written


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "contracts/schemas")
    print(f"wrote {len(write_schemas(target))} schemas to {target}")


if __name__ == "__main__":
    main()
