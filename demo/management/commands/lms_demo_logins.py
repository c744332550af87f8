"""Print the demo logins (`make run` shows them before serving, with the address it serves on)."""

from django.core.management.base import BaseCommand

from demo.data.exams import SECURITY_ROOM
from demo.data.foundation import DEMO_PASSWORD, DEMO_USERS
from demo.data.permits import DEMO_CONTROLLER_TOKEN


class Command(BaseCommand):
    help = "Print the demo users and their password."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000",
            help="where the demo site is served (make run passes http://$ADDR:$PORT)",
        )

    def handle(self, *args, base_url: str, **options):
        base = base_url.rstrip("/")
        self.stdout.write(f"Demo site: {base}/   admin: {base}/admin/")
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
