"""A minimal Language Server Protocol client over stdio, enough to read diagnostics.

It speaks JSON-RPC with `Content-Length` framing, answers the requests a server sends
back (`workspace/configuration`, capability registration) so the server does not stall,
and collects `textDocument/publishDiagnostics` notifications per document URI.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from typing import Any


class LspClient:
    def __init__(self, command: list[str], settings: dict[str, Any]) -> None:
        self.settings = settings
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self._next_id = 0
        self._responses: dict[int, "queue.Queue[dict]"] = {}
        self.diagnostics: "queue.Queue[tuple[str, list[dict]]]" = queue.Queue()
        self._lock = threading.Lock()
        threading.Thread(target=self._read_loop, daemon=True).start()

    # -- wire ---------------------------------------------------------------------------
    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        with self._lock:
            assert self.proc.stdin is not None
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()

    def _read_loop(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length is None:
                continue
            self._dispatch(json.loads(out.read(length)))

    def _dispatch(self, msg: dict[str, Any]) -> None:
        if "id" in msg and "method" not in msg:
            self._responses.setdefault(msg["id"], queue.Queue()).put(msg)
        elif "id" in msg:  # a request from the server: answer it
            result: Any = None
            if msg["method"] == "workspace/configuration":
                result = [self._section(item.get("section")) for item in msg["params"]["items"]]
            self._send({"id": msg["id"], "result": result})
        elif msg.get("method") == "textDocument/publishDiagnostics":
            self.diagnostics.put((msg["params"]["uri"], msg["params"]["diagnostics"]))

    def _section(self, section: str | None) -> Any:
        node: Any = self.settings
        for part in (section or "").split("."):
            if part:
                node = node.get(part) if isinstance(node, dict) else None
        return node

    # -- protocol -----------------------------------------------------------------------
    def request(self, method: str, params: Any, timeout: float = 30) -> Any:
        self._next_id += 1
        rid = self._next_id
        box = self._responses.setdefault(rid, queue.Queue())
        self._send({"id": rid, "method": method, "params": params})
        reply = box.get(timeout=timeout)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def start(self, root_uri: str) -> None:
        self.request("initialize", {
            "processId": None, "rootUri": root_uri,
            "capabilities": {"workspace": {"configuration": True},
                             "textDocument": {"publishDiagnostics": {}, "hover": {}, "completion": {}}},
        })
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})

    def open(self, uri: str, text: str) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": text}})

    def diagnostics_for(self, uri: str, timeout: float = 30, settle: float = 1.5) -> list[dict]:
        """The last diagnostics published for `uri`, once the server has been quiet for `settle` s."""
        deadline = time.monotonic() + timeout
        latest: list[dict] | None = None
        while True:
            wait = settle if latest is not None else deadline - time.monotonic()
            if wait <= 0:
                raise TimeoutError(f"no diagnostics published for {uri}")
            try:
                got_uri, diags = self.diagnostics.get(timeout=wait)
            except queue.Empty:
                if latest is None:
                    raise TimeoutError(f"no diagnostics published for {uri}") from None
                return latest
            if got_uri == uri:
                latest = diags

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=5)
            self.notify("exit", None)
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()
            self.proc.wait()
