"""Appraisals (考核): monthly, quarterly and annual periods with a training component and manager scores."""
