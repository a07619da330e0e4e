-- Every filter of a page of deployments can list its deployments in id
-- order from an index alone, so that the rarest of a page's filters
-- drives it (store/plan.go): a value, then the deployment. The indexes on
-- the value alone gave rows to look up, not ids.
DROP INDEX deployment_capabilities_capability;
CREATE INDEX deployment_capabilities_capability ON deployment_capabilities (capability, deployment_id);
DROP INDEX deployment_vendors_vendor;
CREATE INDEX deployment_vendors_vendor ON deployment_vendors (vendor_id, deployment_id);
DROP INDEX deployments_year;
CREATE INDEX deployments_year ON deployments (year, id);
CREATE INDEX deployments_status ON deployments (status, id);
CREATE INDEX deployments_certainty ON deployments (certainty, id);
