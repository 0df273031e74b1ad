"""Importing fixture definitions written for other programs (pure: text in, profiles out).

Each foreign format (:mod:`.ofl`, :mod:`.qlcplus`) is read into the common
:mod:`.foreign` description; :mod:`.assemble` turns that into our profiles
(splitting modes with different pixel layouts into separate files), and
:mod:`.profile_yaml` writes them as profile YAML and checks them with our loader.
"""
