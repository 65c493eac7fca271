# A CoreOne webhook handler with Flask. (Named flask_app.py: a file named flask.py would
# shadow the flask package.)
# Run: pip install flask && COREONE_WEBHOOK_SECRET=<secret> python3 flask_app.py   (PORT defaults to 3000)
# Check it: coreone-inspect check --to http://localhost:3000/webhooks
import hashlib
import hmac
import os

from flask import Flask, request

SECRET = os.environ["COREONE_WEBHOOK_SECRET"].encode()
app = Flask(__name__)


@app.post("/webhooks")
def webhooks():
    # THE line that matters: request.get_data() is the raw bytes as they arrived;
    # json.dumps(request.get_json()) would be other bytes, and another hash.
    body = request.get_data()
    expected = hmac.new(SECRET, body, hashlib.sha256).hexdigest().encode()
    received = request.headers.get("X-Coreone-Webhook-Hash", "").lower().encode()
    if not hmac.compare_digest(expected, received):
        return {"error": "bad signature"}, 401
    event = request.get_json(force=True)
    # Act on the types you use; every other type is answered 2xx too (CoreOne adds types).
    app.logger.info("received %s (%s)", request.headers.get("X-Coreone-Webhook-Type"), ", ".join(event))
    return {"ok": True}


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "3000")))
