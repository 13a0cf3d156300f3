"""A stand-in for the gateway's POST /v1/attribution (answers 202, counts records by destination port) that also
serves GET as a plain target for the load. Used by run-agent.sh only."""
import http.server
import json
import socketserver
import sys
from collections import Counter

counts = Counter()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        for c in body.get("connections", []):
            counts["connections:%d" % c["dport"]] += 1
        counts["https"] += len(body.get("https", []))
        self.reply(202, b"{}")

    def do_GET(self):
        self.reply(200, json.dumps(counts).encode() if self.path == "/count" else b"ok\n")

    def reply(self, status, out):
        self.send_response(status)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 1024


Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
