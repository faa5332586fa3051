// bench/peers: the whole table dumped with vishvananda/netlink's
// ConntrackTableList, once per family (it takes one family per call).
// Prints "flows N ipv4 N ipv6 N ports N".
//
// Built offline against Debian's golang-github-vishvananda-netlink-dev:
//   GOPATH=/usr/share/gocode GO111MODULE=off go build -o go_dump go_dump.go
package main

import (
	"fmt"
	"os"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

func main() {
	var v4, v6, ports uint64
	for _, family := range []netlink.InetFamily{unix.AF_INET, unix.AF_INET6} {
		flows, err := netlink.ConntrackTableList(netlink.ConntrackTable, family)
		if err != nil {
			fmt.Fprintln(os.Stderr, "ConntrackTableList:", err)
			os.Exit(1)
		}
		for _, f := range flows {
			if family == unix.AF_INET {
				v4++
			} else {
				v6++
			}
			ports += uint64(f.Forward.DstPort)
		}
	}
	fmt.Printf("flows %d ipv4 %d ipv6 %d ports %d\n", v4+v6, v4, v6, ports)
}
