"""Admin URLs of exams (namespace ``lms_exams_admin``), mounted under /admin/exams/ by wagtail_hooks.py."""

from django.urls import path

from exams import admin_views, proctor_views

app_name = "lms_exams_admin"
urlpatterns = [
    path("grading/", admin_views.grading_queue, name="grading_queue"),
    path("grading/<int:pk>/", admin_views.grade, name="grade"),
    path("analysis/", admin_views.exam_list, name="exam_list"),
    path("analysis/<int:exam_id>/", admin_views.item_analysis, name="item_analysis"),
    path("regrade/<int:question_id>/", admin_views.regrade, name="regrade"),
    path("bank/import/", admin_views.bank_import, name="bank_import"),
    path("bank/export/", admin_views.bank_export, name="bank_export"),
]
urlpatterns += [
    path("questions/preview/", admin_views.question_preview, name="question_preview"),
    path("questions/pick/", admin_views.question_pick, name="question_pick"),
]
urlpatterns += [
    path("proctor/", proctor_views.proctor_list, name="proctor_list"),
    path("proctor/<int:exam_id>/", proctor_views.proctor, name="proctor"),
    path("proctor/attempts/<int:attempt_id>/timeline/", proctor_views.attempt_timeline, name="attempt_timeline"),
    path("proctor/attempts/<int:attempt_id>/<slug:action>/", proctor_views.proctor_action, name="proctor_action"),
]
