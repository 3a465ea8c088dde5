"""moto's server for labbook's tests, with one test-only extension.

Also: three AWS-managed IAM policies exist (AdministratorAccess,
PowerUserAccess, ReadOnlyAccess); a service moto lacks entirely answers 501 at once instead of
leaving the client waiting; Macie session timestamps get the UTC offset AWS sends (see below).

moto 5.2.5 hard-codes AccountMFAEnabled and AccountAccessKeysPresent to 0 in
iam:GetAccountSummary and has no <root_account> row in the credential
report. This script patches moto's IAM backend to read those from a
per-account dict, set through an extra route:

    POST /_labbook/root-state
    {"account_id": "123456789012", "mfa_enabled": 1, "access_keys_present": 0,
     "password_last_used": "2026-11-28T10:00:00+00:00"}

Everything else is moto itself. The server binds 127.0.0.1 on a free port,
prints the port on stdout, and exits when stdin closes (the test process
that started it is gone), so it never outlives the test run.
"""

import json
import os
import sys
import threading

from moto.iam import models as iam_models
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

ROOT_STATE = {}

_summary_map = iam_models.AccountSummary.summary_map.fget


def _patched_summary_map(self):
    result = _summary_map(self)
    state = ROOT_STATE.get(self._iam_backend.account_id)
    if state:
        result["AccountMFAEnabled"] = int(state.get("mfa_enabled", 0))
        result["AccountAccessKeysPresent"] = int(state.get("access_keys_present", 0))
    return result


iam_models.AccountSummary.summary_map = property(_patched_summary_map)

_get_report = iam_models.IAMBackend.get_credential_report


def _patched_get_report(self):
    report = _get_report(self)
    state = ROOT_STATE.get(self.account_id)
    if not state:
        return report
    header, _, rest = report.partition("\n")
    columns = header.split(",")
    row = {c: "N/A" for c in columns}
    row.update(
        {
            "user": "<root_account>",
            "arn": f"arn:aws:iam::{self.account_id}:root",
            "user_creation_time": "2020-01-01T00:00:00+00:00",
            "password_enabled": "not_supported",
            "password_last_used": state.get("password_last_used") or "no_information",
            "password_last_changed": "not_supported",
            "password_next_rotation": "not_supported",
            "mfa_active": "true" if state.get("mfa_enabled") else "false",
            "access_key_1_active": "true" if state.get("access_keys_present") else "false",
            "access_key_2_active": "false",
            "cert_1_active": "false",
            "cert_2_active": "false",
        }
    )
    return header + "\n" + ",".join(row[c] for c in columns) + "\n" + rest


iam_models.IAMBackend.get_credential_report = _patched_get_report


# moto 5.2.5 writes Macie's session timestamps without a UTC offset
# ("2026-11-28T10:00:00.123456"), which no AWS SDK accepts as a
# date-time; AWS sends an offset. Add it.
from moto.macie2 import models as macie_models

_get_macie_session = macie_models.MacieBackend.get_macie_session


def _patched_get_macie_session(self):
    result = _get_macie_session(self)
    for key in ("createdAt", "updatedAt"):
        value = result.get(key)
        if isinstance(value, str) and not value.endswith("Z") and "+" not in value[10:]:
            result[key] = value + "Z"
    return result


macie_models.MacieBackend.get_macie_session = _patched_get_macie_session


# Without MOTO_IAM_LOAD_MANAGED_POLICIES (which makes every new account
# slow) no AWS-managed policy exists, so a learner's user cannot be given
# AdministratorAccess. Load just the few the labs mention, parsed once.
_SOME_AWS_POLICIES = ("AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess")
_aws_policy_data = {}


def _init_some_aws_policies(self):
    if not _aws_policy_data:
        data = json.loads(iam_models.aws_managed_policies_data)
        _aws_policy_data.update({n: data[n] for n in _SOME_AWS_POLICIES if n in data})
    return [
        iam_models.AWSManagedPolicy.from_data(n, self.account_id, self.region_name, d)
        for n, d in _aws_policy_data.items()
    ]


iam_models.IAMBackend._init_aws_policies = _init_some_aws_policies


def app_with_root_state(moto_app):
    def app(environ, start_response):
        if environ.get("PATH_INFO") == "/_labbook/root-state":
            request = Request(environ)
            body = json.loads(request.get_data(as_text=True))
            ROOT_STATE[body["account_id"]] = body
            return Response("{}", content_type="application/json")(environ, start_response)
        try:
            return moto_app(environ, start_response)
        except Exception as e:  # noqa: BLE001
            # A service moto does not implement at all (Detective, Audit
            # Manager) raises inside moto's dispatcher; werkzeug then leaves
            # a keep-alive client waiting for a response until it times out.
            # Answer at once, as moto does for unimplemented operations.
            body = json.dumps({"__type": "NotImplemented", "message": f"moto: {e}"})
            return Response(body, status=501, content_type="application/json")(
                environ, start_response
            )

    return app


def exit_when_parent_goes():
    sys.stdin.read()
    os._exit(0)


def main():
    moto_app = DomainDispatcherApplication(create_backend_app)
    server = make_server(
        "127.0.0.1",
        0,
        app_with_root_state(moto_app),
        threaded=True,
        request_handler=MotoRequestHandler,
    )
    os.environ["MOTO_PORT"] = str(server.port)
    threading.Thread(target=exit_when_parent_goes, daemon=True).start()
    print(server.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
