"""`voipsim mock-apns` for the Python tests (tests/browser, tests/clients): started with tokens
registered, and pushed to with curl as mock_apns/README.md says."""
import json
import os
import subprocess

TOPIC = "com.example.imapp.voip"


def start_mock(voipsim, workdir, tokens, env=None):
    """The mock with `tokens` (its --tokens records) registered; (process, ready line)."""
    path = os.path.join(workdir, "tokens.json")
    with open(path, "w") as out:
        json.dump(tokens, out)
    mock = subprocess.Popen([voipsim, "mock-apns", "--tokens", path], stdout=subprocess.PIPE,
                            text=True, env=env)
    return mock, json.loads(mock.stdout.readline())  # blocks until the ready line (or EOF)


def voip_certificate(ready):
    """curl's arguments for the PKI's VoIP Services certificate and key."""
    voip = os.path.join(ready["pki"], "voip-services")
    return ["--cert", voip + ".pem", "--key", voip + ".key"]


def curl_push(ready, token, credential=None, body='{"aps":{}}', headers=()):
    """One VoIP push with curl --http2 to the sandbox listener, by Apple's host name, with
    `credential` (curl arguments; the VoIP certificate when None); the HTTP status."""
    port = ready["sandbox"].rsplit(":", 1)[1]
    host = "api.sandbox.push.apple.com"
    argv = ["curl", "-sS", "--http2", "--cacert", os.path.join(ready["pki"], "ca-bundle.pem"),
            "--resolve", "%s:%s:127.0.0.1" % (host, port),
            "-H", "apns-push-type: voip", "-H", "apns-topic: " + TOPIC,
            "-o", "/dev/null", "-w", "%{http_code}", "--data-binary", body]
    argv += voip_certificate(ready) if credential is None else credential
    for header in headers:
        argv += ["-H", header]
    argv.append("https://%s:%s/3/device/%s" % (host, port, token))
    return int(subprocess.run(argv, capture_output=True, text=True, timeout=30,
                              check=True).stdout)
