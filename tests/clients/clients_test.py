#!/usr/bin/python3
"""Real APNs clients against `voipsim mock-apns`, set up as docs/clients.md says (issue #22):
curl and Python's aioapns (Debian's python3-aioapns), each with certificate and token auth.
Each gets a 200 for a registered token and Apple's reason for a refused push, and the mock's
journal shows the requests with the credential each client used.

usage: clients_test.py VOIPSIM
"""
import asyncio
import json
import os
import ssl
import subprocess
import sys
import tempfile
import unittest
import urllib.request

from aioapns import APNs, NotificationRequest, PushType
from aioapns.connection import APNsDevelopmentClientProtocol

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from mock_process import TOPIC, curl_push, start_mock, voip_certificate  # noqa: E402

VOIPSIM = sys.argv.pop(1) if len(sys.argv) > 1 else "voipsim"
TOKEN = "db3582a31936a10992dcb438c512d71a0ca642b9b58c4fb2357f8c055043eaf6"
UNKNOWN_TOKEN = "0" * 64  # well formed, never registered: 400 BadDeviceToken


def to_the_mock(ready):
    """aioapns 2.2 connects to its protocol class's APNS_SERVER:APNS_PORT (api.development.push.apple.com:443
    for the sandbox): a subclass names the mock's sandbox listener instead."""
    port = int(ready["sandbox"].rsplit(":", 1)[1])

    class ToTheMock(APNsDevelopmentClientProtocol):
        APNS_SERVER = "127.0.0.1"  # the mock's certificate names it
        APNS_PORT = port

    return ToTheMock


def aioapns_push(ready, token, **credential):
    """One push with a client made for it (aioapns 2.2 binds a client to the event loop running
    when it is made); returns aioapns's result: status ("200", "400", ...) and description
    (Apple's reason)."""
    async def send():
        client = APNs(topic=TOPIC, use_sandbox=True,
                      ssl_context=ssl.create_default_context(
                          cafile=os.path.join(ready["pki"], "ca-bundle.pem")),
                      **credential)
        client.pool.protocol_class = to_the_mock(ready)
        try:
            return await client.send_notification(NotificationRequest(
                device_token=token, message={"aps": {}}, push_type=PushType.VOIP))
        finally:
            client.pool.close()
    return asyncio.run(send())


class Clients(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.workdir = tempfile.TemporaryDirectory(prefix="voipsim-clients-")
        cls.addClassCleanup(cls.workdir.cleanup)
        cls.mock, cls.ready = start_mock(
            VOIPSIM, cls.workdir.name, [{"token": TOKEN, "environment": "sandbox", "topic": TOPIC}])
        cls.addClassCleanup(cls.stop_mock)
        with open(os.path.join(cls.ready["pki"], "manifest.json")) as f:
            manifest = json.load(f)
        cls.key_id, cls.team_id = manifest["key_id"], manifest["team_id"]
        cls.p8 = os.path.join(cls.ready["pki"], "AuthKey_%s.p8" % cls.key_id)
        # aioapns reads the certificate and its key from one PEM file.
        voip = os.path.join(cls.ready["pki"], "voip-services")
        cls.certificate_and_key = os.path.join(cls.workdir.name, "voip-services-and-key.pem")
        with open(cls.certificate_and_key, "w") as out:
            for part in (voip + ".pem", voip + ".key"):
                with open(part) as f:
                    out.write(f.read())

    @classmethod
    def stop_mock(cls):
        cls.mock.terminate()
        cls.mock.wait(timeout=30)
        cls.mock.stdout.close()

    def journal(self):
        with urllib.request.urlopen(
                "http://%s/v1/journal?limit=1000" % self.ready["admin"]) as answer:
            return json.load(answer)["entries"]

    def newest(self):
        return self.journal()[-1]

    def test_curl_with_the_voip_certificate(self):
        credential = voip_certificate(self.ready)
        self.assertEqual(curl_push(self.ready, TOKEN, credential), 200)
        self.assertEqual(self.newest()["auth_kind"], "certificate")
        self.assertEqual(curl_push(self.ready, UNKNOWN_TOKEN, credential), 400)
        self.assertEqual(self.newest()["reason"], "BadDeviceToken")

    def test_curl_with_a_provider_token(self):
        jwt = subprocess.run([VOIPSIM, "jwt", "--pki", self.ready["pki"], "--header"],
                             capture_output=True, text=True, check=True).stdout.strip()
        self.assertEqual(curl_push(self.ready, TOKEN, ["-H", jwt]), 200)
        entry = self.newest()
        self.assertEqual(entry["auth_kind"], "token")
        self.assertEqual(entry["jwt"]["header"]["kid"], self.key_id)
        unknown_key = subprocess.run(
            [VOIPSIM, "jwt", "--pki", self.ready["pki"], "--header", "--key-id", "KZ99999999"],
            capture_output=True, text=True, check=True).stdout.strip()
        self.assertEqual(curl_push(self.ready, TOKEN, ["-H", unknown_key]), 403)
        self.assertEqual(self.newest()["reason"], "InvalidProviderToken")

    def test_aioapns_with_the_voip_certificate(self):
        result = aioapns_push(self.ready, TOKEN, client_cert=self.certificate_and_key)
        self.assertTrue(result.is_successful, (result.status, result.description))
        entry = self.newest()
        self.assertEqual(entry["auth_kind"], "certificate")
        self.assertEqual(entry["push_type"], "voip")
        self.assertEqual(entry["answer_headers"][0]["value"].lower(), result.notification_id)
        refused = aioapns_push(self.ready, UNKNOWN_TOKEN, client_cert=self.certificate_and_key)
        self.assertEqual((refused.status, refused.description), ("400", "BadDeviceToken"))

    def test_aioapns_with_a_provider_token(self):
        result = aioapns_push(self.ready, TOKEN, key=self.p8, key_id=self.key_id,
                              team_id=self.team_id)
        self.assertTrue(result.is_successful, (result.status, result.description))
        entry = self.newest()
        self.assertEqual(entry["auth_kind"], "token")
        self.assertEqual(entry["jwt"]["header"]["kid"], self.key_id)
        self.assertEqual(entry["jwt"]["claims"]["iss"], self.team_id)
        refused = aioapns_push(self.ready, TOKEN, key=self.p8, key_id="KZ99999999",
                               team_id=self.team_id)
        self.assertEqual((refused.status, refused.description), ("403", "InvalidProviderToken"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
