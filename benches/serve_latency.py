#!/usr/bin/env python3
"""Save-to-served time of `rulebook serve` (issue: editors' workflow).

Starts the release binary's preview server on a copy of a site, subscribes to its reload channel
(/__rulebook/events), appends a sentence to one regulation, and measures the time from the write
until the new page is served (the event that changes the page arrives and a GET returns the new
text), and until the full build has caught up with the whole handbook. Repeats and prints the
medians. Usage:

    cargo build --release --bin rulebook
    cargo run --release --example gen_corpus -- --docs 1000 --out /tmp/c1k
    python3 benches/serve_latency.py /tmp/c1k [runs] [gap_ms]

The binary is the one cargo builds for this checkout (wherever CARGO_TARGET_DIR puts it), or
$RULEBOOK. The server runs as the README says, from a copy of the site folder without --root.
"""
import glob, json, os, shutil, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.request

site = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
# With a gap (ms), the next edit follows that long after the page is served, whether or not the full
# build has caught up (an editor saving often: each save cancels the full build under way).
gap = float(sys.argv[3]) / 1e3 if len(sys.argv) > 3 else None


def rulebook_binary():
    """The release binary cargo built (`$RULEBOOK` if set): asked of cargo itself, so that a
    CARGO_TARGET_DIR or a separate artifact folder is followed, not guessed."""
    if os.environ.get("RULEBOOK"):
        return os.environ["RULEBOOK"]
    repo = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    out = subprocess.run(["cargo", "build", "--release", "--bin", "rulebook", "--message-format=json"],
                         cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=True).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("executable"):
            return msg["executable"]
    raise SystemExit("cargo built no rulebook binary")


binary = rulebook_binary()
work = tempfile.mkdtemp(prefix="rb-serve-")
shutil.copytree(os.path.join(site, "content"), os.path.join(work, "content"))
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
# As the README runs it: from the site folder, no --root.
proc = subprocess.Popen([binary, "serve", "--port", str(port)], cwd=work,
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    proc.stdout.readline()  # "Serving …"
    # The server's later lines are read as they come (a full pipe would stall its terminal thread).
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    host = f"127.0.0.1:{port}"
    ev = socket.create_connection(("127.0.0.1", port))
    # The server answers only a Host that names it.
    ev.sendall(f"GET /__rulebook/events HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
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
    page = f"regulations/{page_id}.html"
    times, quick, full, caught_up = [], [], [], []
    for i in range(runs):
        marker = f"预览延迟测量第{i}句。"
        t0 = time.perf_counter()
        with open(md, "w", encoding="utf-8") as out:
            out.write(original + "\n" + marker + "\n")
        # The first publication that changes the page (the quick path's, or a full build's).
        while True:
            state = next_build()
            assert not state["failed"], state
            if state["changed"] is None or page in state["changed"]:
                break
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/{page}").read().decode()
        t1 = time.perf_counter()
        assert marker in body, (state, rel)
        times.append((t1 - t0) * 1e3)
        if not state["complete"]:
            quick.append(state["took_ms"])
            if gap is not None:
                time.sleep(gap)
                continue
            # Then the full build that catches up with the rest of the handbook.
            while not state["complete"]:
                state = next_build()
        full.append(state["took_ms"])
        caught_up.append((time.perf_counter() - t0) * 1e3)
        time.sleep(0.2 if gap is None else gap)
    q = f"quick path median {statistics.median(quick):.1f} ms over {len(quick)} edits; " if quick else "no quick path; "
    f = (f"full build median {statistics.median(full):.0f} ms, whole handbook caught up after "
         f"{statistics.median(caught_up):.0f} ms; " if full else f"an edit every {gap * 1e3:.0f} ms after the last was served; ")
    print(f"{site}: save-to-served median {statistics.median(times):.0f} ms "
          f"(min {min(times):.0f}, max {max(times):.0f}; {q}{f}debounce 25 ms) over {runs} edits of {rel}")
finally:
    proc.terminate()
    proc.wait()
    shutil.rmtree(work)
