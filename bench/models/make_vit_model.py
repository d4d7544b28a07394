"""Makes bench/models/astro-vit.pt: a small ViT-like encoder in the shape of AstroMAE (CAI's
model): patch embedding of the [N,5,32,32] images (4x4 patches, 64 tokens plus a class token),
4 pre-norm attention blocks (width 192, 3 heads, MLP 4x), and a regression head that also
reads the magnitudes, returning [N,1]. About 1.8M parameters and half the ResNet-like model's
multiply-adds per sample, but a transformer's operator mix (matmul, softmax, layer norm, GELU)
instead of convolutions. Attention is written out (as in MAE's timm-0.3 blocks) so the file
loads in PyTorch 1.13 and libtorch 2.7.1 alike. Run with Debian's python3-torch, as
make_heavy_model.py; the build never runs it."""
import os

import torch
import torch.nn as nn


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = (q @ k.transpose(-2, -1)) * self.scale
        x = (attn.softmax(dim=-1) @ v).transpose(1, 2).reshape(b, n, c)
        return self.proj(x)


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * 4), nn.GELU(), nn.Linear(dim * 4, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class AstroViT(nn.Module):
    def __init__(self, dim=192, depth=4, heads=3, patch=4):
        super().__init__()
        self.patch_embed = nn.Conv2d(5, dim, patch, stride=patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, (32 // patch) ** 2 + 1, dim) * 0.02)
        self.blocks = nn.Sequential(*[Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Sequential(nn.Linear(dim + 5, 96), nn.GELU(), nn.Linear(96, 1))

    def forward(self, images: torch.Tensor, magnitudes: torch.Tensor) -> torch.Tensor:
        x = self.patch_embed(images).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed
        x = self.norm(self.blocks(x))
        return self.head(torch.cat([x[:, 0], magnitudes / 25.0], dim=1))


if __name__ == "__main__":
    torch.manual_seed(13)
    model = torch.jit.script(AstroViT().eval())
    model.save(os.path.join(os.path.dirname(os.path.abspath(__file__)), "astro-vit.pt"))
    print(sum(p.numel() for p in model.parameters()), "parameters")
