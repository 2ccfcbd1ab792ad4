"""HKRE: hardness-aware knowledge retention through weight decay (EC-MIIP).

The decay each parameter group gets at each optimiser step is

    λ = λ_base · (1 − α_ℓ) · β(t),   α_ℓ = α_hard · (1 − f_ℓ)

where α_hard is the batch's hardness (the mean over the samples that went into this optimiser
step: 1.0 for Level-1 knowledge, 0.7 for Level-2, 0 for soft), and f_ℓ is the layer factor for
hard knowledge: 0 on the embedding and layers 1–4 (no decay: the facts stored there are kept),
0.3 on layers 5–8, 0.7 above (and on the output head). A Level-1 batch therefore gets exactly
0 / 0.3 / 0.7 × λ_base·β(t) on lower / middle / upper layers, a soft batch the full λ_base·β(t)
everywhere. β(t) is 1 ("constant") or 0.5·(1+cos(π·t/T)) ("cosine"). Layers are numbered from 1.
Norm weights and biases never decay, as usual.

The hardness rides through the data collator as a ``hardness`` column; a step pre-hook on the
optimiser writes each group's ``weight_decay`` just before ``step()``, so the decay torch's
AdamW actually applies is the one computed for that batch.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from finetune.config import HKRESettings

_LAYER = re.compile(r"(?:^|\.)layers\.(\d+)\.")


def layer_factor(name: str, hkre: HKRESettings) -> float:
    """f_ℓ for a parameter name: 0 embedding / layers ≤ lower, middle factor, upper factor."""
    if "embed_tokens" in name or "wte" in name:
        return 0.0
    m = _LAYER.search(name)
    if m is None:
        return hkre.upper_factor  # the output head and final norm sit above every layer
    layer = int(m.group(1)) + 1
    if layer <= hkre.lower_layers:
        return 0.0
    if layer <= hkre.middle_layers:
        return hkre.middle_factor
    return hkre.upper_factor


def _no_decay(name: str) -> bool:
    return name.endswith(".bias") or "norm" in name.lower()


def param_groups(model: Any, hkre: HKRESettings) -> list[dict[str, Any]]:
    """One group per distinct layer factor (plus a no-decay group) over the trainable parameters."""
    groups: dict[float | None, list[Any]] = {}
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        key = None if _no_decay(name) else layer_factor(name, hkre)
        groups.setdefault(key, []).append(p)
    out = []
    for key, params in sorted(groups.items(), key=lambda kv: -1.0 if kv[0] is None else kv[0]):
        out.append({"params": params, "weight_decay": 0.0, "hkre_factor": key})
    return out


@dataclass
class HKREController:
    """Collects the hardness of the micro-batches of one optimiser step and sets the decays."""

    hkre: HKRESettings
    total_steps: int = 1
    step: int = 0
    _pending: list[float] = field(default_factory=list)
    history: list[dict[str, Any]] = field(
        default_factory=list
    )  # per step: α and decay by factor ('0.3', 'no_decay')

    def observe(self, hardness: Any) -> None:
        values = hardness.tolist() if hasattr(hardness, "tolist") else list(hardness)
        self._pending.extend(float(v) for v in values)

    def beta(self) -> float:
        if self.hkre.beta == "cosine":
            return 0.5 * (1 + math.cos(math.pi * min(1.0, self.step / max(1, self.total_steps))))
        return 1.0

    def decay(self, factor: float | None, alpha: float) -> float:
        if factor is None:
            return 0.0
        return self.hkre.lambda_base * (1 - alpha * (1 - factor)) * self.beta()

    def apply(self, optimizer: Any) -> float:
        """Write each group's weight_decay for the coming step; returns the batch's α_hard."""
        alpha = sum(self._pending) / len(self._pending) if self._pending else 0.0
        self._pending.clear()
        decays = {}
        for group in optimizer.param_groups:
            factor = group.get("hkre_factor")
            group["weight_decay"] = self.decay(factor, alpha)
            decays["no_decay" if factor is None else f"{factor:g}"] = group["weight_decay"]
        self.history.append({"step": self.step, "alpha": alpha, "decay": decays})
        self.step += 1
        return alpha

    def attach(self, optimizer: Any) -> Any:
        """Register the pre-step hook on the torch optimiser (under accelerate's wrapper if any)."""
        inner = getattr(optimizer, "optimizer", optimizer)

        def hook(opt: Any, args: Any, kwargs: Any) -> None:  # a pre-hook must return None
            self.apply(opt)

        return inner.register_step_pre_hook(hook)


def build_optimizer(
    model: Any, hkre: HKRESettings, lr: float, total_steps: int, **adam: Any
) -> tuple[Any, HKREController]:
    """torch AdamW over HKRE's parameter groups, with the controller already hooked in."""
    import torch

    optimizer = torch.optim.AdamW(param_groups(model, hkre), lr=lr, **adam)
    controller = HKREController(hkre, total_steps=total_steps)
    controller.attach(optimizer)
    return optimizer, controller


class HardnessCollator:
    """Wraps a collator: takes each example's `hardness` out, collates the rest, adds it back as a tensor."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __call__(self, examples: list[dict[str, Any]]) -> dict[str, Any]:
        import torch

        hardness = [float(e.pop("hardness", 0.0)) for e in examples]
        batch = self.inner(examples)
        batch["hardness"] = torch.tensor(hardness)
        return batch


def hkre_trainer_class() -> type:
    """SFTTrainer with HKRE's optimiser and the hardness column (imported lazily: trl is heavy)."""
    from trl import SFTTrainer

    class HKRETrainer(SFTTrainer):
        # Set by transformers' Trainer, which mypy does not follow (see [tool.mypy] in pyproject).
        data_collator: Any
        optimizer: Any
        _signature_columns: list[str] | None

        def __init__(self, *args: Any, hkre: HKRESettings, **kwargs: Any) -> None:
            self.hkre_settings = hkre
            self.hkre_controller: HKREController | None = None
            super().__init__(*args, **kwargs)
            self.data_collator = HardnessCollator(self.data_collator)

        def _set_signature_columns_if_needed(self) -> None:
            super()._set_signature_columns_if_needed()
            columns: list[str] = list(self._signature_columns or [])
            if "hardness" not in columns:
                self._signature_columns = [*columns, "hardness"]

        def create_optimizer(self, model: Any = None) -> Any:
            if self.optimizer is None:
                target = model if model is not None else self.model
                args = self.args
                self.optimizer, self.hkre_controller = build_optimizer(
                    target,
                    self.hkre_settings,
                    args.learning_rate,
                    max(1, self.state.max_steps or 1),
                    betas=(args.adam_beta1, args.adam_beta2),
                    eps=args.adam_epsilon,
                )
            return self.optimizer

        def compute_loss(self, model: Any, inputs: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
            hardness = inputs.pop("hardness", None)
            if hardness is not None and model.training and self.hkre_controller is not None:
                self.hkre_controller.total_steps = max(1, self.state.max_steps)
                self.hkre_controller.observe(hardness)
            return super().compute_loss(model, inputs, *args, **kwargs)

    return HKRETrainer
