using System.Collections.Generic;
using System.Linq;
using HotDash.Compliance.Audit.Database.Catalog;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Report;

namespace HotDash.Compliance.Audit.Simulation;

// What the attempts conclude: proofs of the static findings, the simulation's own findings, stale intents, the matrix.
public static partial class AttackSimulation
{
    private sealed partial class Run
    {
        /// <summary>
        /// The findings: each static finding with the attempts that prove it (or show it does not hold, where the
        /// simulation is the authority: HD5014 on the owner's own row, HD5008 on a function that refuses strangers),
        /// the simulation's own for what got through unclaimed, and intents no attempt needed.
        /// </summary>
        public SimulationResult Conclude(IReadOnlyList<Finding> findings)
        {
            var result = findings.ToList();
            var explained = new HashSet<AccessCell>();
            for (var i = 0; i < result.Count; i++)
            {
                var finding = result[i];
                if (!finding.Fails)
                {
                    continue;
                }

                var proofs = _cells.Where(c => c.Unintended && c.Relation == finding.About && Explains(finding, c)).ToList();
                explained.UnionWith(proofs);
                if (proofs.Count > 0)
                {
                    result[i] = finding with
                    {
                        Message = $"{finding.Message} Attack simulation: {string.Join("; ", proofs.Select(p => $"{p.Identity} {p.Operation}: {p.Detail}"))}.",
                        Evidence = [.. finding.Evidence, .. proofs.SelectMany(Evidence)],
                    };
                    continue;
                }

                if (Disproves(finding) is { } attempts)
                {
                    result[i] = finding with
                    {
                        Severity = Severity.Info,
                        Message = $"Not exploitable as claimed: the attack simulation tried it and got nothing of user A's ({string.Join("; ", attempts.Select(a => $"{a.Identity} {a.Operation}: {a.Detail}"))}). (The check said: {finding.Message})",
                        Evidence = [.. finding.Evidence, .. attempts.SelectMany(Evidence)],
                    };
                }
            }

            var own = new List<Finding>();
            foreach (var membership in _memberships.Where(m => m.Cell.IntendedBecause is null && !explained.Contains(m.Cell)))
            {
                explained.Add(membership.Cell);
                own.Add(new Finding(RuleIds.SelfGrantedMembership, Severity.Error, Concern, Subject.Table(membership.Membership.QualifiedName), $"disposable database (table {membership.Membership.QualifiedName})",
                    $"User B made themself a member of user A's tenant: {membership.Cell.Detail}. Every policy that trusts {membership.Membership.QualifiedName} hands its rows to whoever inserts a row there. " +
                    $"Fix: let only the tenant's owner or admins add members (WITH CHECK (EXISTS (SELECT 1 FROM {membership.Membership.QualifiedName} m WHERE m.<tenant> = <tenant> AND m.<user> = (select auth.uid()) AND m.<role> = 'admin'))), or add members only through invitations a SECURITY DEFINER function checks; if anyone may join, declare it in database.intendedAccess.",
                    Evidence(membership.Cell).ToList()));
            }

            foreach (var group in _cells.Where(c => c.Unintended && !explained.Contains(c)).GroupBy(c => c.Relation))
            {
                // Forged request data adds nothing where the same attempt got through without it.
                var cells = group.Where(c => !_forged.Contains(c) || !group.Any(p => !_forged.Contains(p) && p.Operation == c.Operation)).ToList();
                own.Add(new Finding(RuleIds.AttackSucceeded, Severity.Error, Concern, group.Key, $"disposable database ({group.Key})",
                    $"The attack simulation got through on {group.Key}, and no static rule claims it and no rule declares it intended: {string.Join("; ", cells.Select(c => $"{c.Identity} {c.Operation}: {c.Detail}"))}. " +
                    "Fix: tie the policies to the caller (USING and WITH CHECK ((select auth.uid()) = <owner column>), or membership a user cannot grant themself), revoke what the API roles need not do, " +
                    "or, if this access is meant, declare it in database.intendedAccess with the reason.",
                    cells.SelectMany(Evidence).ToList()));
            }

            foreach (var relation in _cells.Select(c => c.Relation).Distinct().Where(r => !own.Any(f => f.About == r)))
            {
                var cells = _cells.Where(c => c.Relation == relation && c.Attack).ToList();
                var intended = cells.Where(c => c.Outcome == AccessOutcome.Allowed && c.IntendedBecause is not null).ToList();
                own.Add(new Finding(RuleIds.AttackSucceeded, Severity.Pass, Concern, relation, $"disposable database ({relation})",
                    cells.Any(c => c.Unintended)
                        ? $"What got through on {relation} is what the static rules report (see them): {string.Join("; ", cells.Where(c => c.Unintended).Select(c => $"{c.Identity} {c.Operation}"))}."
                        : $"Every attempt on {relation} as {string.Join(", ", _cells.Where(c => c.Relation == relation).Select(c => c.Identity).Distinct())} was refused, reached nothing of user A's, or is declared intended" +
                          $" ({cells.Count(c => c.Outcome == AccessOutcome.Denied)} denied, {cells.Count(c => c.Outcome == AccessOutcome.Failed)} failed, {cells.Count(c => c.Outcome == AccessOutcome.NotTried)} not tried, {intended.Count} intended).",
                    cells.Where(c => c.Outcome != AccessOutcome.Denied).Select(c => $"{c.Identity} {c.Operation}: {c.Outcome.ToString().ToLowerInvariant()}: {c.Detail}{(c.IntendedBecause is null ? string.Empty : $" (intended: {c.IntendedBecause})")}").ToList()));
            }

            own.AddRange(StaleIntents());
            var identities = _cells.Select(c => c.Identity).Distinct().ToList();
            return new SimulationResult(new AccessMatrix(identities, _cells.ToList()), [.. result, .. own]);
        }

        private static IEnumerable<string> Evidence(AccessCell cell) =>
            new[] { $"attack simulation: {cell.Identity} {cell.Operation} on {cell.Relation}: {cell.Outcome.ToString().ToLowerInvariant()}: {cell.Detail}" }
                .Concat(cell.Statements.Take(3).Select(s => $"attempt (rolled back): {s}"));

        /// <summary>
        /// Whether the static finding claims what the attempt did: its rule speaks of that operation (HD5006 of its
        /// policy's command, and of the owner handing a row away; HD5014 of the owner's writes of protected columns;
        /// HD5016 of a join; HD5011 of a download from a bucket).
        /// </summary>
        private bool Explains(Finding finding, AccessCell cell)
        {
            if (_protected.Contains(cell))
            {
                return finding.RuleId == RuleIds.ProtectedColumnWritable;
            }

            if (_givenAway.Contains(cell))
            {
                return finding.RuleId == RuleIds.AlwaysTruePolicy && (finding.Policy is null || PolicyOf(finding)?.Covers('w') != false);
            }

            if (_memberships.Any(m => m.Cell == cell))
            {
                // The static side of HD5016 (MembershipAudit) claims it on the policies; the join is its proof.
                return finding.RuleId == RuleIds.SelfGrantedMembership;
            }

            var command = cell.Operation switch { "read" => 'r', "update" => 'w', "delete" => 'd', "execute" => 'x', _ => 'a' };
            return finding.RuleId switch
            {
                RuleIds.TableWithoutRls or RuleIds.PrivateRelationExposed or RuleIds.PolicyTrustsUserMetadata => command != 'x',
                RuleIds.ViewBypassesRls => command == 'r',
                RuleIds.BucketListable => cell.Operation == "read object",
                RuleIds.DefinerFunctionCallable => command == 'x',
                RuleIds.AlwaysTruePolicy => finding.Policy is null || PolicyOf(finding) is not { } policy || policy.Covers(command),
                _ => false,
            };
        }

        private CatalogPolicy? PolicyOf(Finding finding) =>
            snapshot.Policies.FirstOrDefault(p => Subject.Table(Sql.Identifier(p.Schema) + "." + Sql.Identifier(p.Table)) == finding.About && p.Name == finding.Policy);

        /// <summary>
        /// The attempts that show a static error does not hold, where the simulation is the authority: every write of a
        /// protected column by the row's owner refused (HD5014); a definer function the owner's call ran and every
        /// stranger's call was refused by (HD5008). Null when they do not settle it.
        /// </summary>
        private List<AccessCell>? Disproves(Finding finding)
        {
            var cells = _cells.Where(c => c.Relation == finding.About).ToList();
            if (finding.RuleId == RuleIds.ProtectedColumnWritable)
            {
                var own = cells.Where(_protected.Contains).ToList();
                return own.Count > 0 && own.All(c => c.Outcome == AccessOutcome.Denied) && !cells.Any(c => c.Identity == UserB && c.Operation == "update" && c.Outcome == AccessOutcome.Allowed) ? own : null;
            }

            if (finding.RuleId == RuleIds.DefinerFunctionCallable)
            {
                var strangers = cells.Where(c => c.Identity != UserA && c.Operation == "execute").ToList();
                return strangers.Count > 0 && strangers.All(c => _refusedStrangers.Contains(c) || _answeredForCaller.Contains(c)) ? strangers : null;
            }

            return null;
        }

        /// <summary>HD5005: a declared intent whose relation exists but no attempt it covers got through (it declares access nobody has).</summary>
        private IEnumerable<Finding> StaleIntents()
        {
            foreach (var intent in rules.Database.IntendedAccess)
            {
                var reason = $"database.intendedAccess: {intent.Reason}";
                var covered = _cells.Where(c => c.IntendedBecause == reason).ToList();
                if (covered.Count > 0 && !covered.Any(c => c.Outcome == AccessOutcome.Allowed))
                {
                    yield return new Finding(RuleIds.StaleExemption, Severity.Warning, Concern, new Subject(SubjectKind.Other, $"intended access {intent.Relation}"), "rules file: database.intendedAccess",
                        $"The rules declare {string.Join(", ", intent.Roles)} may {string.Join(", ", intent.Operations)} {intent.Relation} ({intent.Reason}), and no attempt the attack simulation made got through: the access it declares no longer exists. " +
                        "Fix: remove the entry, or narrow it to what is still meant.",
                        covered.Select(c => $"{c.Identity} {c.Operation}: {c.Outcome.ToString().ToLowerInvariant()}: {c.Detail}").ToList());
                }
            }
        }
    }
}
