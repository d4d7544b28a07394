"""A worker written the way CAI's inference script works, as the benchmark's reference:
for each partition, download it, then load the model, then infer in batches, then write the
results (predictions and execution info) back to S3. Sequential, one process.

    python3 cai_worker.py ENDPOINT BUCKET DATA_PREFIX KEYS MODEL_KEY OUT_PREFIX BATCH THREADS
Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Prints one JSON line.
"""
import io
import json
import sys
import time

T_START = time.time()
import boto3  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402


def main():
    endpoint, bucket, prefix, keys, model_key, out_prefix, batch, threads = sys.argv[1:9]
    batch, threads = int(batch), int(threads)
    torch.set_num_threads(threads)
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    samples = 0
    download = load = compute = upload = 0.0
    for key in keys.split(","):
        t0 = time.time()
        body = s3.get_object(Bucket=bucket, Key=prefix + key)["Body"].read()
        data = np.load(io.BytesIO(body))
        images, magnitudes = torch.from_numpy(data["images"]), torch.from_numpy(data["magnitudes"])
        t1 = time.time()
        model = torch.jit.load(io.BytesIO(s3.get_object(Bucket=bucket, Key=model_key)["Body"].read())).eval()
        t2 = time.time()
        outputs = []
        with torch.no_grad():
            for start in range(0, images.shape[0], batch):
                outputs.append(model(images[start:start + batch], magnitudes[start:start + batch]))
        pred = torch.cat(outputs).numpy()
        t3 = time.time()
        buf = io.BytesIO()
        np.savez(buf, predictions=pred)
        s3.put_object(Bucket=bucket, Key=out_prefix + "predictions/" + key, Body=buf.getvalue())
        info = {"sample_persec": images.shape[0] / (t3 - t2), "total_cpu_time (seconds)": t3 - t2}
        s3.put_object(Bucket=bucket, Key=out_prefix + key + ".json", Body=json.dumps(info).encode())
        t4 = time.time()
        samples += images.shape[0]
        download += t1 - t0
        load += t2 - t1
        compute += t3 - t2
        upload += t4 - t3
    print(json.dumps({"samples": samples, "seconds": time.time() - T_START, "download": download, "model_load": load,
                      "compute": compute, "upload": upload, "cpu": time.process_time()}))


if __name__ == "__main__":
    main()
