"""Starts every loopback fake of `integration/fakes/fake_*.py` for the credentials tests.

Each `fake_<x>.py` module defines `HANDLERS = {name: handler_class}`, where each class
is an `http.server.BaseHTTPRequestHandler`. Each handler is served on its own free
loopback port by a ThreadingHTTPServer. The URLs are written as JSON
(`{"imds": "http://127.0.0.1:1234", ...}`) to the file given by `--out`; then the
ready port (`--ready-port`) is bound, which tells the caller (`cargo xtask test`) that
everything listens. The process serves until it is killed.
"""

import argparse
import glob
import importlib.util
import json
import os
import socket
import threading
from http.server import ThreadingHTTPServer


def load_handlers():
    here = os.path.dirname(os.path.abspath(__file__))
    handlers = {}
    for path in sorted(glob.glob(os.path.join(here, "fake_*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for key, handler in module.HANDLERS.items():
            if key in handlers:
                raise SystemExit(f"two fakes are named {key!r}")
            handlers[key] = handler
    return handlers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--ready-port", type=int, required=True)
    args = parser.parse_args()
    urls = {}
    for name, handler in load_handlers().items():
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        urls[name] = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
    with open(args.out, "w") as f:
        json.dump(urls, f)
    ready = socket.socket()
    ready.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ready.bind(("127.0.0.1", args.ready_port))
    ready.listen(16)
    print("fakes listening:", json.dumps(urls), flush=True)
    while True:
        conn, _ = ready.accept()
        conn.close()


if __name__ == "__main__":
    main()
