"""The ground floor: market entities, persons and roles, departments, the catalogue and the
append-only credit record with its decisions and publicity windows (2019 No. 35, art. 15; 2022
opinions, art. 21), and each entity's standing summary that higher apps keep current. It imports
no other app. Its place in the layers: docs/architecture.md.
"""
