#!/usr/bin/env python3
"""LSP sessions with clangd, for the tests in test/clangd/.

lsp_messages.py DIR SOURCE
    Prints the session that clangd's -lit-test mode reads (messages
    separated by '---'): initialize, open DIR/<name of SOURCE> with SOURCE's
    text, wait for the server to be idle (sync), shut down.

lsp_messages.py --code-actions [--timeout SECONDS] DIR SOURCE -- SERVER [ARG...]
    Runs SERVER as an editor would, over stdio with Content-Length framing:
    initialize (a client that takes code action literals and does not want
    them inline in diagnostics), open DIR/<name of SOURCE>, wait for the
    server's textDocument/publishDiagnostics of that file, then send one
    textDocument/codeAction per published diagnostic, for the diagnostic's
    range with the diagnostic in the context, as an editor does when the
    cursor is on it. Prints the notification and each reply as indented
    JSON with sorted keys, shuts the server down, and fails (status 1) if
    the server does not publish in time, answers with an error, or exits
    with a status other than 0.
"""
import json
import os
import queue
import subprocess
import sys
import threading


def document(directory, source):
    with open(source, encoding="utf-8") as f:
        text = f.read()
    uri = "file://" + os.path.join(directory, os.path.basename(source))
    return uri, text


def lit_test_session(directory, source):
    uri, text = document(directory, source)
    messages = [
        {"jsonrpc": "2.0", "id": 0, "method": "initialize",
         "params": {"processId": None, "rootUri": "file://" + directory,
                    "capabilities": {"textDocument": {"publishDiagnostics": {
                        "codeActionsInline": True}}},
                    "trace": "off"}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen",
         "params": {"textDocument": {"uri": uri, "languageId": "cpp",
                                     "version": 1, "text": text}}},
        {"jsonrpc": "2.0", "id": 1, "method": "sync", "params": None},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    print("\n---\n".join(json.dumps(m) for m in messages))


class Server:
    """A language server on stdio. A reader thread parses the framed
    messages into a queue; requests the server sends are answered with a
    null result, as a minimal client does."""

    def __init__(self, command):
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE)
        self.incoming = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.incoming.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length is None:
                continue
            self.incoming.put(json.loads(out.read(length).decode("utf-8")))

    def send(self, message):
        message = dict(message, jsonrpc="2.0")
        body = json.dumps(message).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def request(self, method, params, timeout):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id
                         and "method" not in m, timeout, method)

    def wait(self, wanted, timeout, what):
        while True:
            try:
                message = self.incoming.get(timeout=timeout)
            except queue.Empty:
                fail("no %s from the server within %ds" % (what, timeout))
            if message is None:
                fail("the server exited before sending %s" % what)
            if "method" in message and "id" in message:
                self.send({"id": message["id"], "result": None})
                continue
            if wanted(message):
                if "error" in message:
                    fail("%s failed: %s" % (what, json.dumps(message["error"])))
                return message


def fail(text):
    sys.stderr.write("lsp_messages: %s\n" % text)
    sys.exit(1)


def show(message):
    print(json.dumps(message, indent=2, sort_keys=True))
    sys.stdout.flush()


def code_actions_session(directory, source, command, timeout):
    uri, text = document(directory, source)
    server = Server(command)
    server.request("initialize", {
        "processId": os.getpid(), "rootUri": "file://" + directory,
        "capabilities": {"textDocument": {
            "publishDiagnostics": {"relatedInformation": True},
            "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {
                "valueSet": ["quickfix", "refactor", "source"]}}}}},
        "trace": "off"}, timeout)
    server.notify("initialized", {})
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "cpp", "version": 1, "text": text}})
    published = server.wait(
        lambda m: m.get("method") == "textDocument/publishDiagnostics"
        and m["params"]["uri"] == uri, timeout, "publishDiagnostics")
    show(published)
    for diagnostic in published["params"]["diagnostics"]:
        reply = server.request("textDocument/codeAction", {
            "textDocument": {"uri": uri},
            "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic]}}, timeout)
        show(reply)
    server.request("shutdown", None, timeout)
    server.notify("exit", None)
    try:
        status = server.proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        fail("the server did not exit after shutdown")
    if status != 0:
        fail("the server exited with status %d" % status)


def main(argv):
    if argv[:1] != ["--code-actions"]:
        lit_test_session(os.path.abspath(argv[0]), argv[1])
        return
    argv = argv[1:]
    timeout = 120
    if argv[:1] == ["--timeout"]:
        timeout = int(argv[1])
        argv = argv[2:]
    if "--" not in argv:
        fail("usage: lsp_messages.py --code-actions [--timeout S] DIR SOURCE -- SERVER [ARG...]")
    split = argv.index("--")
    directory, source = argv[:split]
    code_actions_session(os.path.abspath(directory), source, argv[split + 1:],
                         timeout)


if __name__ == "__main__":
    main(sys.argv[1:])
