"""The snippet chooser of a translatable snippet (certification, area, department, position) lists sources only:
records point at sources (``exams.localization``), so a translation is not something to choose. The form behind
the chooser refuses one anyway (``exams.localized_names.SourcesOnly``); this keeps it out of the list."""

from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet

from exams.localization import sources


class SourcesOnlyMixin:
    def get_object_list(self):
        return sources(super().get_object_list())


class SourcesChooseView(SourcesOnlyMixin, ChooseView):
    pass


class SourcesChooseResultsView(SourcesOnlyMixin, ChooseResultsView):
    pass


class SourcesSnippetChooserViewSet(SnippetChooserViewSet):
    """``chooser_viewset_class`` of a translatable snippet's viewset."""

    choose_view_class = SourcesChooseView
    choose_results_view_class = SourcesChooseResultsView
