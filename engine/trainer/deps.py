"""Fails early, with an error event naming what is missing, when a dependency or CUDA is absent."""
import importlib

REQUIREMENTS = "pip install -r engine/trainer/requirements.txt"


class DependencyError(RuntimeError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_dependencies(device: str) -> None:
    missing, broken = [], []
    for name in ("torch", "transformers", "peft", "safetensors"):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name and e.name.split(".")[0] != name:
                broken.append(f"{name} (needs {e.name})")
            else:
                missing.append(name)
        except Exception as e:  # noqa: BLE001 - e.g. a torch build whose CUDA libraries do not load
            broken.append(f"{name} ({type(e).__name__}: {e})")
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        raise DependencyError("missing_dependency", f"{', '.join(missing)} {verb} not installed: {REQUIREMENTS}")
    if broken:
        raise DependencyError("missing_dependency", f"could not import {'; '.join(broken)}: {REQUIREMENTS}")
    if device == "cuda":
        import torch

        if not torch.cuda.is_available():
            build = torch.version.cuda or "none (a CPU-only build)"
            raise DependencyError("cuda_unavailable", f"the job asks for device \"cuda\" but torch sees no CUDA GPU "
                                  f"(torch {torch.__version__}, CUDA build {build}); use \"device\": \"cpu\" for tiny models")
