using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database;
using HotDash.Compliance.Audit.Migrations;
using HotDash.Compliance.Audit.Report;
using HotDash.Compliance.Audit.Settings;

namespace HotDash.Compliance.Audit.Concerns;

/// <summary>What the database audit gives the suite: the RLS coverage per table and the one-line access summary.</summary>
public sealed record DatabaseDetail(RlsAuditResult Rls, string AccessSummary)
{
    /// <summary>The attack simulation's access matrix (pull-request mode only).</summary>
    public AccessMatrix? Access { get; init; }
}

/// <summary>
/// The database concern: the live database (HOTDASH_DATABASE_URL, read-only, through a connection opened while the
/// rules were validated), or the pull-request mode (HOTDASH_MIGRATIONS applied to a disposable database, audited and
/// proved there). A database asked for and not reached is not audited, and says why; both asked for at once is a
/// requested live audit this run does not do.
/// </summary>
public sealed class DatabaseConcernAudit(DatabaseConnection connection) : IAudit<DatabaseDetail>
{
    private static readonly IReadOnlyList<string> MigrationsAndDatabase = [MigrationApplier.Concern, .. DatabaseAudit.Concerns];

    public string Concern => AuditRunner.DatabaseConcern;

    public async Task<AuditResult<DatabaseDetail>> RunAsync(AuditContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        if (settings.Migrations is not null)
        {
            var migrations = await MigrationsAsync(context, cancellationToken).ConfigureAwait(false);
            return settings.DatabaseUrl is null ? migrations : migrations with
            {
                // Both set: the user asked for a live audit this run does not do. Say so as a failure, not a footnote.
                NotAudited = [new NotAudited(AuditRunner.LiveDatabaseConcern, "HOTDASH_DATABASE_URL was not audited: HOTDASH_MIGRATIONS is set, and this run audits the migrations on a disposable database. Audit the live database in a run of its own (unset HOTDASH_MIGRATIONS there).", true, []), .. migrations.NotAudited],
            };
        }

        if (settings.DatabaseUrl is null)
        {
            return NotAudited("HOTDASH_DATABASE_URL is not set: RLS coverage, view security, API access and the database provider were not audited", requested: false);
        }

        if (connection.Target is null)
        {
            return NotAudited(connection.Error!, requested: true);
        }

        return await LiveAsync(context, connection.Target, connection.Opening!, cancellationToken).ConfigureAwait(false);
    }

    private static AuditResult<DatabaseDetail> NotAudited(string reason, bool requested, IReadOnlyList<string>? covers = null, AuditResult<DatabaseDetail>? partial = null) =>
        (partial ?? new AuditResult<DatabaseDetail>()) with { NotAudited = [new NotAudited(AuditRunner.DatabaseConcern, reason, requested, covers ?? DatabaseAudit.Concerns)] };

    private static async Task<AuditResult<DatabaseDetail>> MigrationsAsync(AuditContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        try
        {
            var migrations = await MigrationsAudit.RunAsync(
                settings.Migrations!, settings.Seed, settings.DisposableServer, settings.RepoRoot, context.Rules,
                settings.ConnectTimeout, settings.StatementTimeout, cancellationToken).ConfigureAwait(false);
            var applied = new AuditResult<DatabaseDetail>
            {
                Targets = [$"migrations {context.Relative(settings.Migrations!)} on {migrations.Origin}"],
                Findings = migrations.Findings,
                Summary = [migrations.Applied.Summary],
                RoundTrips = migrations.RoundTrips,
            };
            if (migrations.Database is { } result)
            {
                return applied with
                {
                    Summary = migrations.Access is { } matrix
                        ? [migrations.Applied.Summary, result.Rls.Summary, result.AccessSummary, matrix.Summary]
                        : [migrations.Applied.Summary, result.Rls.Summary, result.AccessSummary],
                    NotAudited = result.NotAudited,
                    Detail = new DatabaseDetail(result.Rls, result.AccessSummary) { Access = migrations.Access },
                };
            }

            var why = migrations.Applied.Failure is { } failure
                ? $"the migrations did not apply ({failure.Location}: {failure.Message}), so the database was not audited"
                : "no migration was applied, so the database was not audited";
            return NotAudited(why, requested: true, partial: applied);
        }
        catch (Exception e) when (e is DisposableServerException or DatabaseUnreachableException)
        {
            return NotAudited($"HOTDASH_MIGRATIONS: {e.Message}", requested: true, MigrationsAndDatabase);
        }
    }

    private static async Task<AuditResult<DatabaseDetail>> LiveAsync(AuditContext context, DatabaseTarget target, Task<AuditSession> opening, CancellationToken cancellationToken)
    {
        AuditSession session;
        try
        {
            session = await opening.ConfigureAwait(false);
        }
        catch (DatabaseUnreachableException e)
        {
            return NotAudited(target.Mask(e.Message), requested: true, partial: new AuditResult<DatabaseDetail> { Targets = [target.Display] });
        }

        AuditResult<DatabaseDetail> audited;
        try
        {
            var result = await DatabaseAudit.RunAsync(session, context.Rules, cancellationToken).ConfigureAwait(false);
            audited = new AuditResult<DatabaseDetail>
            {
                Targets = [target.Display],
                Findings = result.Findings,
                Summary =
                [
                    result.Rls.Summary,
                    result.AccessSummary,
                    $"Database provider: {(result.Provider.Fails ? "violation" : "as declared")} ({context.Rules.Database.Provider ?? "none declared"})",
                ],
                NotAudited = result.NotAudited,
                Detail = new DatabaseDetail(result.Rls, result.AccessSummary),
            };
        }
        catch (DatabaseUnreachableException e)
        {
            audited = NotAudited(target.Mask(e.Message), requested: true, partial: new AuditResult<DatabaseDetail> { Targets = [target.Display] });
        }
        finally
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        // Counted once the session is closed: the closing round trip is one the database saw too.
        return audited with { RoundTrips = session.RoundTrips };
    }
}

/// <summary>
/// The connection to a live database, opened as soon as the settings are read (it depends on the target, not on the
/// rules), so a fresh process connects while it validates the rules; or why there is none. It only reads.
/// </summary>
public sealed record DatabaseConnection(DatabaseTarget? Target, Task<AuditSession>? Opening, string? Error)
{
    /// <summary>Starts connecting to HOTDASH_DATABASE_URL when this run audits it (not in the pull-request mode).</summary>
    public static DatabaseConnection Open(AuditSettings settings, CancellationToken cancellationToken)
    {
        if (settings.DatabaseUrl is null || settings.Migrations is not null)
        {
            return new DatabaseConnection(null, null, null);
        }

        try
        {
            var target = DatabaseTarget.Parse(settings.DatabaseUrl);
            return new DatabaseConnection(target, AuditSession.OpenAsync(target, settings.ConnectTimeout, settings.StatementTimeout, cancellationToken), null);
        }
        catch (DatabaseTargetException e)
        {
            return new DatabaseConnection(null, null, $"HOTDASH_DATABASE_URL: {e.Message}");
        }
    }

    /// <summary>Closes the session if it opened, when the audit will not use it (the rules were refused).</summary>
    public async Task AbandonAsync()
    {
        try
        {
            if (Opening is not null)
            {
                await (await Opening.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is DatabaseUnreachableException or OperationCanceledException)
        {
            // It never opened: nothing to close.
        }
    }
}
