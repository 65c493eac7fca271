<?php
// A CoreOne webhook handler in plain PHP, for PHP's built-in server (or any PHP host).
// Run: COREONE_WEBHOOK_SECRET=<secret> php -S localhost:${PORT:-3000} php.php
// Check it: coreone-inspect check --to http://localhost:3000/webhooks
$secret = getenv('COREONE_WEBHOOK_SECRET');
if ($secret === false || $secret === '') {
    http_response_code(500);
    exit("Set COREONE_WEBHOOK_SECRET to the webhook secret.\n");
}
header('Content-Type: application/json');
if ($_SERVER['REQUEST_METHOD'] !== 'POST' || parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) !== '/webhooks') {
    http_response_code(404);
    exit('{"error":"not found"}');
}

// THE line that matters: php://input is the raw bytes as they arrived, hashed as is
// (never json_encode(json_decode(...)), which writes other bytes).
$body = file_get_contents('php://input');
$expected = hash_hmac('sha256', $body, $secret);
$received = strtolower($_SERVER['HTTP_X_COREONE_WEBHOOK_HASH'] ?? '');
if (!hash_equals($expected, $received)) {
    http_response_code(401);
    exit('{"error":"bad signature"}');
}
$event = json_decode($body, true);
// Act on the types you use; every other type is answered 2xx too (CoreOne adds types).
error_log('received ' . ($_SERVER['HTTP_X_COREONE_WEBHOOK_TYPE'] ?? '') . ' (' . implode(', ', array_keys($event)) . ')');
echo '{"ok":true}';
