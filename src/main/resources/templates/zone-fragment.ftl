; Records that mxpolicy owns in zone ${zone}
; generated from ${source}: change the config and run mxpolicy again rather than editing here.
<#list records as r>
${r.owner?right_pad(ownerWidth)} ${r.ttl?left_pad(ttlWidth)} IN ${r.type?right_pad(typeWidth)} ${r.rdata}
<#else>
; (no records)
</#list>
