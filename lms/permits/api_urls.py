from django.urls import path

from lms.permits.api import DecideApi

urlpatterns = [path("permits/decide/", DecideApi.as_view(), name="permit-decide")]
