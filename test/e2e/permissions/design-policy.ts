/** The DESIGN.md §7 policy as written there, plus an admin; `extraGrants` are added to its grants. */
export function designPolicy(extraGrants: readonly string[] = []): string {
  return `roles:
  viewer:   { exec: ["show *"] }
  operator: { exec: ["show *", "ping *"], config: plan }
  approver: { approve: true }
  admin:    { exec: ["*"], config: apply, approve: true, admin: true }
grants:
  - { role: viewer,   subjects: ["group:netops", "channel:C0LAB"], scope: { labs: ["dc1"] } }
  - { role: operator, subjects: ["user:U0ALICE"], scope: { kinds: ["juniper_*"] } }
  - { role: approver, subjects: ["group:netops-leads"] }
  - { role: admin,    subjects: ["user:U0ADMIN"] }
${extraGrants.map((g) => `  - ${g}\n`).join('')}approvals: { required: 1, self_approval: false }
`;
}
