-- Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d):
-- the databases of Temporal (history and visibility) and of the service.
CREATE DATABASE temporal;
CREATE DATABASE temporal_visibility;
CREATE DATABASE icp_cases;
