# A CoreOne webhook handler with Python's standard library alone.
# Run: COREONE_WEBHOOK_SECRET=<secret> python3 python.py   (PORT defaults to 3000)
# Check it: coreone-inspect check --to http://localhost:3000/webhooks
import hashlib
import hmac
import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET = os.environ["COREONE_WEBHOOK_SECRET"].encode()
PORT = int(os.environ.get("PORT", "3000"))


class Webhooks(BaseHTTPRequestHandler):
    def do_POST(self):
        if self.path != "/webhooks":
            return self.answer(404, b'{"error":"not found"}')
        # THE line that matters: the raw bytes as they arrived, hashed as is (never json.dumps(json.loads(...))).
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        expected = hmac.new(SECRET, body, hashlib.sha256).hexdigest().encode()
        received = self.headers.get("X-Coreone-Webhook-Hash", "").lower().encode()
        if not hmac.compare_digest(expected, received):
            return self.answer(401, b'{"error":"bad signature"}')
        event = json.loads(body)
        # Act on the types you use; every other type is answered 2xx too (CoreOne adds types).
        print("received", self.headers.get("X-Coreone-Webhook-Type"), sorted(event), flush=True)
        self.answer(200, b'{"ok":true}')

    def answer(self, status, payload):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


print(f"listening on http://localhost:{PORT}/webhooks", flush=True)
HTTPServer(("127.0.0.1", PORT), Webhooks).serve_forever()
