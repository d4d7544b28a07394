"""Makes the example TorchScript models and the PyTorch reference outputs.

Run with Debian's python3-torch (`/usr/bin/python3 examples/models/make_models.py`).
The build and the tests never run this: its outputs are committed.

- astro-redshift.pt: a small CAI-shaped CNN. forward(images [N,5,32,32] float32,
  magnitudes [N,5] float32) -> [N,1] float32 (a redshift estimate), like AstroMAE's
  interface in CAI.
- toy-classifier.pt: forward(features [N,8] float32) -> (logits [N,3], embedding [N,4]),
  a classification model with two outputs.
- reference/astro-small.npz: a CAI-shaped partition of 37 samples (images,
  magnitudes, redshift) and reference/astro-small.predictions.npz: PyTorch's output on it.
- reference/toy-small.npz and reference/toy-small.predictions.npz: the same for the classifier.
"""
import os

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "..", "reference")


class AstroRedshift(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(5, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        )
        self.head = nn.Sequential(nn.Linear(32 + 5, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, images: torch.Tensor, magnitudes: torch.Tensor) -> torch.Tensor:
        x = self.features(images).flatten(1)
        return self.head(torch.cat([x, magnitudes / 25.0], dim=1))


class ToyClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 4))
        self.out = nn.Linear(4, 3)

    def forward(self, features: torch.Tensor):
        e = self.body(features)
        return self.out(e), e


def cai_partition(rng, n):
    images = rng.normal(0.0, 1.0, size=(n, 5, 32, 32)).astype(np.float32)
    magnitudes = rng.uniform(15.0, 25.0, size=(n, 5)).astype(np.float32)
    redshift = rng.uniform(0.0, 0.4, size=(n,)).astype(np.float32)
    return images, magnitudes, redshift


def main():
    torch.manual_seed(7)
    rng = np.random.default_rng(7)
    os.makedirs(REF, exist_ok=True)

    astro = torch.jit.script(AstroRedshift().eval())
    astro.save(os.path.join(HERE, "astro-redshift.pt"))
    images, magnitudes, redshift = cai_partition(rng, 37)
    np.savez(os.path.join(REF, "astro-small.npz"), images=images, magnitudes=magnitudes, redshift=redshift)
    with torch.no_grad():
        pred = astro(torch.from_numpy(images), torch.from_numpy(magnitudes)).numpy()
    np.savez(os.path.join(REF, "astro-small.predictions.npz"), redshift_pred=pred)

    toy = torch.jit.script(ToyClassifier().eval())
    toy.save(os.path.join(HERE, "toy-classifier.pt"))
    features = rng.normal(0.0, 1.0, size=(50, 8)).astype(np.float32)
    with torch.no_grad():
        logits, emb = toy(torch.from_numpy(features))
    label = logits.argmax(dim=1).numpy().astype(np.int64)
    label[:10] = (label[:10] + 1) % 3  # 40 of 50 right: accuracy 0.8 is the expected figure
    np.savez(os.path.join(REF, "toy-small.npz"), features=features, label=label)
    np.savez(os.path.join(REF, "toy-small.predictions.npz"), logits=logits.numpy(), embedding=emb.numpy())


if __name__ == "__main__":
    main()
