// Exports of customers (CSV or JSON lines): a background job that streams the list, with its
// filters, into a file under the data directory, and the routes that start one, show its progress
// and download the file for 24 hours (--export-hours).
#pragma once

#include <filesystem>

#include "area.hpp"

namespace clientele::customers {

//! POST /api/customers/exports, GET /api/customers/exports/{id} and …/{id}/download.
void register_export_routes(http::Router& router, App& app);

//! The `customers.export` kind, and the clean-up of export files past their lifetime.
void register_export_jobs(jobs::Registry& registry, const Config& config);

//! Where export files are kept: `exports/` beside a SQLite database, `data/exports` with
//! PostgreSQL (instances behind one balancer need it on shared storage).
std::filesystem::path exports_dir(const Config& config);

}  // namespace clientele::customers
