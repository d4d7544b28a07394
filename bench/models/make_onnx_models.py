"""Exports the ONNX twins of the example and benchmark TorchScript models, and the references the
ONNX tests compare the worker with. Run with the torch venv (PyTorch 2.7.1, ONNX Runtime 1.21.1):

    python="$(bench/python/torch-venv.sh)"
    "$python" bench/models/make_onnx_models.py

Each model is rebuilt in eager PyTorch from its own script's class, given the committed
TorchScript file's weights (so both formats hold the same model), and exported with
torch.onnx.export (opset 17, a dynamic batch dimension, the forward's argument names as the
graph's input names). The outputs are committed; the build never runs this.

- examples/models/astro-redshift.onnx, toy-classifier.onnx; bench/models/astro-resnet.onnx, astro-vit.onnx
- examples/reference/onnx-inputs.npz: 8 CAI-shaped samples (images, magnitudes) and 8 toy features
- examples/reference/onnx-<model>.expected.npz: `eager` (PyTorch eager) and `ort` (Python ONNX Runtime)
  outputs on them (`eager_<name>`/`ort_<name>` per output for the two-output classifier)
- worker-image/src/test/resources/onnx/dtypes.onnx: one input and one output of every dtype the worker
  passes (float32, float16, float64, int64, int32, uint8, bool), built with onnx.helper, and
  dtypes.inputs.npz / dtypes.expected.npz (ONNX Runtime's outputs)
"""
import importlib.util
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import TensorProto, helper

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
REF = os.path.join(ROOT, "examples", "reference")
OPSET = 17


def module(path, name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, path))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


def eager_twin(cls, pt):
    model = cls().eval()
    model.load_state_dict(torch.jit.load(os.path.join(ROOT, pt)).state_dict())
    return model


def export(model, args, input_names, output_names, path):
    axes = {n: {0: "batch"} for n in input_names + output_names}
    torch.onnx.export(model, args, os.path.join(ROOT, path), input_names=input_names, output_names=output_names,
                      dynamic_axes=axes, opset_version=OPSET, dynamo=False)
    onnx.checker.check_model(os.path.join(ROOT, path))


def ort_run(path, feed):
    session = ort.InferenceSession(os.path.join(ROOT, path), providers=["CPUExecutionProvider"])
    return session.run(None, feed)


def dtypes_model(path):
    n = "N"
    inputs = [("f32", TensorProto.FLOAT, [n, 3]), ("f16", TensorProto.FLOAT16, [n, 2]), ("f64", TensorProto.DOUBLE, [n, 2]),
              ("i64", TensorProto.INT64, [n]), ("i32", TensorProto.INT32, [n, 2]), ("u8", TensorProto.UINT8, [n, 3]),
              ("b", TensorProto.BOOL, [n])]
    two = helper.make_tensor("two", TensorProto.FLOAT, [], [2.0])
    two16 = helper.make_tensor("two16", TensorProto.FLOAT16, [], [2.0])
    one64 = helper.make_tensor("one64", TensorProto.DOUBLE, [], [1.0])
    three64 = helper.make_tensor("three64", TensorProto.INT64, [], [3])
    seven32 = helper.make_tensor("seven32", TensorProto.INT32, [], [7])
    nodes = [
        helper.make_node("Mul", ["f32", "two"], ["out_f32"]),
        helper.make_node("Mul", ["f16", "two16"], ["out_f16"]),
        helper.make_node("Add", ["f64", "one64"], ["out_f64"]),
        helper.make_node("Mul", ["i64", "three64"], ["out_i64"]),
        helper.make_node("Add", ["i32", "seven32"], ["out_i32"]),
        helper.make_node("Identity", ["u8"], ["out_u8"]),
        helper.make_node("Not", ["b"], ["out_b"]),
    ]
    outputs = [("out_" + name, t, shape) for name, t, shape in inputs]
    graph = helper.make_graph(nodes, "dtypes", [helper.make_tensor_value_info(*i) for i in inputs],
                              [helper.make_tensor_value_info(*o) for o in outputs], [two, two16, one64, three64, seven32])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="dataparallel")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(ROOT, path))
    rng = np.random.default_rng(3)
    feed = {"f32": rng.normal(size=(6, 3)).astype(np.float32), "f16": rng.normal(size=(6, 2)).astype(np.float16),
            "f64": rng.normal(size=(6, 2)), "i64": rng.integers(-50, 50, size=6).astype(np.int64),
            "i32": rng.integers(-50, 50, size=(6, 2)).astype(np.int32), "u8": rng.integers(0, 255, size=(6, 3)).astype(np.uint8),
            "b": rng.integers(0, 2, size=6).astype(bool)}
    res = os.path.join(ROOT, "worker-image", "src", "test", "resources", "onnx")
    np.savez(os.path.join(res, "dtypes.inputs.npz"), **feed)
    got = ort_run(path, feed)
    np.savez(os.path.join(res, "dtypes.expected.npz"), **{o[0]: v for o, v in zip(outputs, got)})


def main():
    torch.manual_seed(0)
    rng = np.random.default_rng(24)
    images = rng.normal(0.0, 1.0, size=(8, 5, 32, 32)).astype(np.float32)
    magnitudes = rng.uniform(15.0, 25.0, size=(8, 5)).astype(np.float32)
    features = rng.normal(0.0, 1.0, size=(8, 8)).astype(np.float32)
    np.savez(os.path.join(REF, "onnx-inputs.npz"), images=images, magnitudes=magnitudes, features=features)
    examples = module("examples/models/make_models.py", "make_models")
    heavy = module("bench/models/make_heavy_model.py", "make_heavy_model")
    vit = module("bench/models/make_vit_model.py", "make_vit_model")
    astro = [("astro-redshift", examples.AstroRedshift, "examples/models"), ("astro-resnet", heavy.AstroResNet, "bench/models"),
             ("astro-vit", vit.AstroViT, "bench/models")]
    args = (torch.from_numpy(images), torch.from_numpy(magnitudes))
    for name, cls, folder in astro:
        model = eager_twin(cls, f"{folder}/{name}.pt")
        path = f"{folder}/{name}.onnx"
        export(model, args, ["images", "magnitudes"], ["predictions"], path)
        with torch.no_grad():
            eager = model(*args).numpy()
        (got,) = ort_run(path, {"images": images, "magnitudes": magnitudes})
        np.savez(os.path.join(REF, f"onnx-{name}.expected.npz"), eager=eager, ort=got)
        print(f"{path}: {os.path.getsize(os.path.join(ROOT, path))} bytes, |ort - eager| <= {np.abs(got - eager).max():.2e}")
    toy = eager_twin(examples.ToyClassifier, "examples/models/toy-classifier.pt")
    export(toy, (torch.from_numpy(features),), ["features"], ["logits", "embedding"], "examples/models/toy-classifier.onnx")
    with torch.no_grad():
        logits, emb = toy(torch.from_numpy(features))
    got = ort_run("examples/models/toy-classifier.onnx", {"features": features})
    np.savez(os.path.join(REF, "onnx-toy-classifier.expected.npz"), eager_logits=logits.numpy(), eager_embedding=emb.numpy(),
             ort_logits=got[0], ort_embedding=got[1])
    dtypes_model("worker-image/src/test/resources/onnx/dtypes.onnx")
    print("written; ONNX Runtime", ort.__version__, "torch", torch.__version__)


if __name__ == "__main__":
    sys.exit(main())
