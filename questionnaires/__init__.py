"""Questionnaire definitions shipped with supplier_qual, one YAML file each."""
