#!/usr/bin/env python3
"""Save-to-served time of `rulebook serve` (issue: editors' workflow).

Starts the release binary's preview server on a copy of a site, subscribes to its reload channel
(/__rulebook/events), appends a sentence to one regulation, and measures the time from the write
until the new page is served (the reload event arrives and a GET returns the new text). Repeats and
prints the median. Usage:

    cargo build --release --bin rulebook
    cargo run --release --example gen_corpus -- --docs 1000 --out /tmp/c1k
    python3 benches/serve_latency.py /tmp/c1k [runs]
"""
import glob, json, os, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.request

site = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
binary = os.path.join(os.path.dirname(__file__), "..", "target", "release", "rulebook")
work = tempfile.mkdtemp(prefix="rb-serve-")
shutil.copytree(os.path.join(site, "content"), os.path.join(work, "content"))
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
proc = subprocess.Popen([binary, "serve", "--root", work, "--port", str(port)],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    proc.stdout.readline()  # "Serving …"
    ev = socket.create_connection(("127.0.0.1", port))
    ev.sendall(b"GET /__rulebook/events HTTP/1.1\r\nHost: x\r\n\r\n")
    f = ev.makefile("rb")

    def next_build():
        while True:
            line = f.readline()
            if not line:
                raise SystemExit("reload channel closed")
            if line.startswith(b"data: "):
                return json.loads(line[6:])

    first = next_build()
    md = sorted(glob.glob(os.path.join(work, "content", "**", "*.md"), recursive=True))[len(first) % 7]
    rel = os.path.relpath(md, os.path.join(work, "content"))
    page_id = os.path.splitext(os.path.basename(md))[0]
    original = open(md, encoding="utf-8").read()
    times, builds = [], []
    for i in range(runs):
        marker = f"预览延迟测量第{i}句。"
        t0 = time.perf_counter()
        with open(md, "w", encoding="utf-8") as out:
            out.write(original + "\n" + marker + "\n")
        state = next_build()
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/regulations/{page_id}.html").read().decode()
        t1 = time.perf_counter()
        assert marker in body, (state, rel)
        times.append((t1 - t0) * 1e3)
        builds.append(state["took_ms"])
        time.sleep(0.2)
    print(f"{site}: save-to-served median {statistics.median(times):.0f} ms "
          f"(min {min(times):.0f}, max {max(times):.0f}; rebuild median {statistics.median(builds):.0f} ms; "
          f"debounce 25 ms) over {runs} edits of {rel}")
finally:
    proc.terminate()
    proc.wait()
    shutil.rmtree(work)
