"""Print the demo logins (`make run` shows them before serving, with the address it serves on)."""

from urllib.parse import urlsplit

from django.core.management.base import BaseCommand

from demo.data.exams import SECURITY_ROOM
from demo.data.foundation import DEMO_PASSWORD, DEMO_USERS
from demo.data.permits import DEMO_CONTROLLER_TOKEN

WILDCARDS = ("0.0.0.0", "::")  # noqa: S104  (runserver's "every address", compared: not one a browser opens)


class Command(BaseCommand):
    help = "Print the demo users and their password."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000",
            help="where the demo site is served (make run passes http://$ADDR:$PORT)",
        )

    def handle(self, *args, base_url: str, **options):
        base = base_url.rstrip("/")
        url = urlsplit(base)
        if url.hostname in WILDCARDS:  # ADDR=0.0.0.0: served on every address; a browser here opens the loopback
            base = f"{url.scheme}://127.0.0.1{f':{url.port}' if url.port else ''}"
        self.stdout.write(f"Demo site: {base}/   admin: {base}/admin/")
        if url.hostname in WILDCARDS:
            self.stdout.write(
                f"  served on every address of this computer ({url.hostname}): from another computer, open "
                f"http://<this computer's address>{f':{url.port}' if url.port else ''}/"
            )
        self.stdout.write(f"Every demo user's password: {DEMO_PASSWORD}")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user['username']:<12} {user['role']:<18} {user['name']}  — {user['note']}")
        self.stdout.write(f"Exam room {SECURITY_ROOM['exam_room']} (安全管理结业考试, for the ops permit):")
        self.stdout.write(
            "  sat from this computer only (127.0.0.1, ::1), one browser per attempt, with the start code a trainer "
            f"(trainer, trainer2) sees at {base}/admin/exams/proctor/"
        )
        self.stdout.write("Door controller 运营区一号门 (areas ops, server-room):")
        self.stdout.write(
            f"  curl -s -X POST {base}/api/permits/decide/ "
            f"-H 'Authorization: Controller {DEMO_CONTROLLER_TOKEN}' -d subject=B0901 -d area=ops"
        )
        self.stdout.write("")
