"""People-facing pages of lms: sign-in and the "My learning" dashboard."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from lms.selectors import dashboard_for


class LoginView(auth_views.LoginView):
    template_name = "lms/login.html"
    redirect_authenticated_user = True


@login_required
def my_learning(request):
    return render(request, "lms/my_learning.html", dashboard_for(request.user))
