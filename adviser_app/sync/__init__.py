"""The team register: the only package that talks to the network (PostgreSQL, via psycopg).

With no hub configured the app never imports it."""
