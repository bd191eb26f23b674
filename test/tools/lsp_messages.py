#!/usr/bin/env python3
"""lsp_messages.py DIR SOURCE: prints the LSP session that clangd's
-lit-test mode reads (messages separated by '---'): initialize, open
DIR/<name of SOURCE> with SOURCE's text, wait for the server to be idle
(sync), shut down."""
import json
import os
import sys

directory = os.path.abspath(sys.argv[1])
source = sys.argv[2]
with open(source, encoding="utf-8") as f:
    text = f.read()
uri = "file://" + os.path.join(directory, os.path.basename(source))

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
