"""`python -m bench`: Strongroom and OpenBao side by side under the same load.

The package is a tool, not part of Strongroom: it starts both servers in production mode on
this machine (one at a time, pinned to core 0), sets them up identically over the HTTP API,
loads them with `wrk` (pinned to core 1) and prints a Markdown table plus JSON. Modules:
`servers` (configs, processes, /proc readings), `setup` (HTTP setup and probes),
`workloads` (requests and wrk Lua), `wrk` (run and parse), `report` (medians, ratios,
rendering), `session` (the order of everything) and `__main__` (the command line).
`profile_audit` is a separate, in-process harness (`python -m bench.profile_audit`): CPU time
or callgrind instruction counts per request of Strongroom's own code, audit on and off.
"""
