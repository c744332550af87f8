"""The "My learning" page: it reads every app of lms (``lms.dashboard``), so it lives in lms itself."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from lms.dashboard import dashboard_for


@login_required
def my_learning(request):
    return render(request, "lms/my_learning.html", dashboard_for(request.user))
